/**
 * The playground in a real browser: Debian's chromium, headless, driven by playwright-core (no browser download).
 * The page is built (scripts/build-playground.mjs into a temporary folder) and served by `imagetrust playground`
 * (the bin of package.json). Then: type a policy with a mistake, see the diagnostic in the gutter at its line, fix it,
 * see the compiled policy.json, simulate two references and read their verdicts, and reload from the share URL.
 * Skips (one line) without /usr/bin/chromium, except under CI=true, where it fails.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { REPO } from "../cli/helpers.js";

/** The page's document, as the callbacks given to page.evaluate see it (this file is compiled without the DOM library). */
declare const document: { body: { dataset: Record<string, string | undefined> }; querySelector(selector: string): { closest(s: string): { querySelector(s: string): { textContent: string | null } | null } | null } | null };

const CHROMIUM = "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
if (!present) {
  if (process.env.CI === "true") throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (.ci/run APT_PACKAGES)`);
  console.log(`skipped: the playground browser test needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const BROKEN = `target "5.23"
key acme gpg file "/etc/pki/containers/acme.gpg"
level internal = signed by acme identity repository

default rejct

docker {
  "registry.acme.example"  internal
  "docker.io/library"  accept
}
`;

/** The bin as package.json names it (the CLI build may move it). */
function bin(): string {
  const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { bin: string | Record<string, string> };
  return path.join(REPO, typeof pkg.bin === "string" ? pkg.bin : pkg.bin.imagetrust);
}

/** Wait until the page has analysed something newer than generation `after`. */
async function analysed(page: Page, after: number): Promise<number> {
  await page.waitForFunction((g) => document.body.dataset.state === "idle" && Number(document.body.dataset.generation ?? 0) > g, after, { timeout: 15_000 });
  return Number(await page.evaluate(() => document.body.dataset.generation));
}

async function generation(page: Page): Promise<number> {
  return Number(await page.evaluate(() => document.body.dataset.generation ?? 0));
}

describe.skipIf(!present)("the playground in Debian's chromium", () => {
  let dir: string;
  let server: ChildProcess;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "imagetrust-playground-"));
    const built = spawnSync(process.execPath, [path.join(REPO, "scripts/build-playground.mjs"), "--out", dir], { cwd: REPO, encoding: "utf8" });
    expect(built.status, built.stderr).toBe(0);
    server = spawn(process.execPath, [bin(), "playground", "--port", "0", "--no-open", "--dir", dir], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout!.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      server.on("exit", (code) => reject(new Error(`imagetrust playground exited with ${code}: ${out}`)));
    });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows the mistake at its line, compiles the fix, simulates two references, and restores from the share URL", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(url);
    let g = await analysed(page, 0);
    // From here on the page is offline: everything below runs in the page alone.
    await page.context().setOffline(true);

    // Type a policy with a mistake (insertText: as typed, without the editor's bracket auto-closing).
    const editor = page.locator('.cm-content[data-editor="policy"]');
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(BROKEN);
    g = await analysed(page, g);

    const item = page.locator('#diagnostics li[data-code="IT2101"]');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getAttribute("data-line")).toBe("5");
    expect(await item.innerText()).toContain("Level 'rejct' is not defined");
    expect(await item.innerText()).toContain("Did you mean 'reject'?");
    // The gutter marker sits on line 5 of the editor.
    const marker = page.locator("#editor-policy .cm-lint-marker-error");
    await expect.poll(() => marker.count()).toBe(1);
    const markerBox = (await marker.boundingBox())!;
    const line5 = (await page.locator("#editor-policy .cm-line").nth(4).boundingBox())!;
    expect(Math.abs(markerBox.y + markerBox.height / 2 - (line5.y + line5.height / 2))).toBeLessThan(line5.height / 2);
    expect(await page.locator('#out-files [data-path="policy.json"]').count()).toBe(0);

    // Fix it: clicking the diagnostic selects the misspelt name; type the right one.
    await item.click();
    await page.keyboard.insertText("reject");
    g = await analysed(page, g);
    expect(await page.locator('#diagnostics li[data-code="IT2101"]').count()).toBe(0);
    await page.locator('nav[data-group="out"] button[data-tab="files"]').click();
    const policyJson = await page.locator('#out-files [data-path="policy.json"] pre').innerText();
    expect(JSON.parse(policyJson)).toMatchObject({ default: [{ type: "reject" }], transports: { docker: { "docker.io/library": [{ type: "insecureAcceptAnything" }] } } });

    // Simulate two references.
    await page.locator("#refs").fill("docker://docker.io/library/busybox:latest\ndocker://quay.io/someone/tool:1\n");
    g = await analysed(page, g);
    const rows = page.locator("#verdicts tbody tr[data-ref]");
    await expect.poll(() => rows.count()).toBe(2);
    const read = async (i: number) => ({
      verdict: await rows.nth(i).locator(".verdict").innerText(),
      decidedBy: await rows.nth(i).locator(".decided-by").innerText(),
    });
    expect(await read(0)).toEqual({ verdict: "ALLOW", decidedBy: "docker: docker.io/library" });
    expect(await read(1)).toEqual({ verdict: "DENY", decidedBy: "(global default)" });
    expect(await page.locator("#out-picture svg g.reject").count()).toBeGreaterThan(0);

    // Screenshot for the README (docs/playground.png), refreshed with UPDATE_GOLDEN=1 or when missing outside CI.
    const shot = path.join(REPO, "docs/playground.png");
    if (process.env.UPDATE_GOLDEN === "1" || (!existsSync(shot) && process.env.CI !== "true")) {
      await page.locator('nav[data-group="out"] button[data-tab="picture"]').click();
      const tmp = path.join(dir, "shot.png");
      await page.screenshot({ path: tmp });
      mkdirSync(path.dirname(shot), { recursive: true });
      copyFileSync(tmp, shot);
    }

    // The share URL restores everything.
    await page.context().setOffline(false);
    const shared = page.url();
    expect(shared).toMatch(/#s=[A-Za-z0-9_-]+$/);
    const again = await browser.newPage();
    await again.goto(shared);
    await analysed(again, 0);
    expect(await again.evaluate(() => document.querySelector('.cm-content[data-editor="policy"]')!.closest(".cm-editor")!.querySelector(".cm-content")!.textContent)).toContain('default reject');
    expect(await again.locator("#refs").inputValue()).toBe("docker://docker.io/library/busybox:latest\ndocker://quay.io/someone/tool:1\n");
    const againRows = again.locator("#verdicts tbody tr[data-ref] .verdict");
    expect(await againRows.allInnerTexts()).toEqual(["ALLOW", "DENY"]);
    await again.close();

    // Nothing was fetched but the page's own files, and nothing failed.
    expect(requests.filter((r) => !r.startsWith(url))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
