/**
 * The playground page: two CodeMirror editors (the policy — .trust or policy.json — and a registries.d file), the
 * diagnostics of the real core in the gutter and in a list, the compiled output, the simulate panel and the `show`
 * picture. Every change is analysed again (debounced) and written into the URL fragment, so a reload or a shared
 * link restores the page.
 */
import { basicSetup } from "codemirror";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { json } from "@codemirror/lang-json";
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { KNOWN_TARGETS } from "../../src/ir/versions.js";
import type { Analysis, EditorName, PlaygroundState } from "./core.js";
import { isPolicyJson } from "./mode.js";
import { decodeState, encodeState } from "./share.js";
import { trustLanguage } from "./trust-language.js";
import { DEFAULT_STATE, EXAMPLES } from "./examples.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let generation = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
const editors = {} as Record<EditorName, EditorView>;
const refsBox = $<HTMLTextAreaElement>("refs");
const targetSelect = $<HTMLSelectElement>("target");

function state(): PlaygroundState {
  return {
    policy: editors.policy.state.doc.toString(),
    registriesD: editors.registriesD.state.doc.toString(),
    refs: refsBox.value,
    target: targetSelect.value,
  };
}

function languageFor(text: string): Extension {
  return isPolicyJson(text) ? json() : trustLanguage;
}

let policyIsJson: boolean | undefined;
/** The policy editor's language, switched when the content turns from .trust to JSON or back. */
const policyLanguage = new Compartment();

function makeEditor(name: EditorName, parent: HTMLElement, doc: string, lang: Extension): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        lintGutter(),
        name === "policy" ? policyLanguage.of(lang) : lang,
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          if (name === "policy") {
            const j = isPolicyJson(u.state.doc.toString());
            if (j !== policyIsJson) {
              policyIsJson = j;
              queueMicrotask(() => u.view.dispatch({ effects: policyLanguage.reconfigure(languageFor(u.state.doc.toString())) }));
            }
          }
          schedule();
        }),
        EditorView.contentAttributes.of({ "aria-label": name === "policy" ? "policy editor" : "registries.d editor", "data-editor": name }),
      ],
    }),
  });
}

function schedule(): void {
  if (timer !== undefined) clearTimeout(timer);
  document.body.dataset.state = "busy";
  timer = setTimeout(() => void run(), 150);
}

async function run(): Promise<void> {
  const mine = ++generation;
  const s = state();
  const started = performance.now();
  let a: Analysis;
  try {
    // The core (parser, checker, linter, simulator) is a second chunk: the editors take input before it has loaded.
    const { analyse } = await import("./core.js");
    a = await analyse(s);
  } catch (e) {
    $("status").textContent = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    document.body.dataset.state = "idle";
    return;
  }
  if (mine !== generation) return;
  render(a);
  $("status").textContent = `analysed in ${Math.round(performance.now() - started)} ms`;
  history.replaceState(null, "", await encodeState(s));
  document.body.dataset.generation = String(mine);
  document.body.dataset.state = "idle";
  if (mine === 1) performance.mark("imagetrust-interactive");
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

function render(a: Analysis): void {
  $("mode").textContent = a.mode === "trust" ? ".trust program" : "policy.json";
  $("regd-note").hidden = a.mode !== "trust";
  // Gutter and underlines, per editor.
  for (const name of ["policy", "registriesD"] as const) {
    const view = editors[name];
    const len = view.state.doc.length;
    const cm: CmDiagnostic[] = a.diagnostics
      .filter((d) => d.editor === name)
      .map((d) => ({
        from: Math.min(d.from, len),
        to: Math.min(Math.max(d.to, d.from), len),
        severity: d.severity,
        source: d.code,
        message: d.message + (d.hint ? `\n${d.hint}` : ""),
      }));
    view.dispatch(setDiagnostics(view.state, cm));
  }
  // The list.
  const list = $("diagnostics");
  list.textContent = "";
  for (const d of a.diagnostics) {
    const where = `${d.editor === "policy" ? "policy" : "registries.d"}:${d.line}:${d.column}`;
    const li = el("li", { class: d.severity, "data-line": String(d.line), "data-code": d.code, "data-editor": d.editor }, `${where} ${d.severity} ${d.code} ${d.message}`);
    if (d.hint) li.append(el("div", { class: "hint" }, d.hint));
    li.addEventListener("click", () => {
      selectTab("editor", d.editor);
      editors[d.editor].dispatch({ selection: { anchor: d.from, head: d.to }, scrollIntoView: true });
      editors[d.editor].focus();
    });
    list.append(li);
  }
  const errors = a.diagnostics.filter((d) => d.severity === "error").length;
  $("diag-count").textContent = a.diagnostics.length === 0 ? "(none)" : `(${errors} error${errors === 1 ? "" : "s"}, ${a.diagnostics.length} in all)`;
  // Verdicts.
  const body = $("verdicts").querySelector("tbody")!;
  body.textContent = "";
  for (const r of a.simulation) {
    const details = el("details", {}, el("summary", {}, r.why), el("pre", {}, r.explanation));
    body.append(
      el("tr", { "data-ref": r.ref }, el("td", { class: `verdict ${r.verdict.toLowerCase()}` }, r.verdict), el("td", {}, r.ref), el("td", { class: "decided-by" }, r.decidedBy), el("td", { class: "why" }, details)),
    );
  }
  if (a.simulation.length === 0) {
    const why = errors > 0 ? "fix the errors to simulate" : "type image references above";
    body.append(el("tr", {}, el("td", { colspan: "4", class: "note" }, why)));
  }
  // Outputs.
  $("out-picture").innerHTML = a.svg ?? "<p class=note>no picture: the policy has errors</p>";
  const files = $("out-files");
  files.textContent = "";
  for (const f of a.outputs) files.append(el("details", { open: "", "data-path": f.path }, el("summary", {}, f.path), el("pre", {}, f.text)));
  if (a.outputs.length === 0) files.append(el("p", { class: "note" }, "nothing compiled: the policy has errors"));
  $("out-table").textContent = a.table ?? "";
}

function selectTab(group: string, tab: string): void {
  document.querySelectorAll<HTMLButtonElement>(`nav[data-group="${group}"] button`).forEach((b) => b.classList.toggle("active", b.dataset.tab === tab));
  document.querySelectorAll<HTMLElement>(`[data-pane^="${group}:"]`).forEach((p) => (p.hidden = p.dataset.pane !== `${group}:${tab}`));
  if (group === "editor") editors[tab as EditorName]?.requestMeasure();
}

function load(s: PlaygroundState): void {
  for (const name of ["policy", "registriesD"] as const) {
    const view = editors[name];
    const text = name === "policy" ? s.policy : s.registriesD;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  }
  refsBox.value = s.refs;
  targetSelect.value = s.target;
  schedule();
}

async function main(): Promise<void> {
  for (const t of KNOWN_TARGETS) targetSelect.append(el("option", { value: t }, t));
  const exampleSelect = $<HTMLSelectElement>("example");
  for (const name of Object.keys(EXAMPLES)) exampleSelect.append(el("option", { value: name }, name));
  const initial = (await decodeState(location.hash)) ?? DEFAULT_STATE;
  policyIsJson = isPolicyJson(initial.policy);
  editors.policy = makeEditor("policy", $("editor-policy"), initial.policy, languageFor(initial.policy));
  editors.registriesD = makeEditor("registriesD", $("editor-registriesD"), initial.registriesD, []);
  refsBox.value = initial.refs;
  targetSelect.value = initial.target;
  performance.mark("imagetrust-editor-ready");
  refsBox.addEventListener("input", schedule);
  targetSelect.addEventListener("change", schedule);
  exampleSelect.addEventListener("change", () => {
    const ex = EXAMPLES[exampleSelect.value];
    if (ex) load(ex);
    exampleSelect.value = "";
  });
  document.querySelectorAll<HTMLButtonElement>("nav.tabs button").forEach((b) =>
    b.addEventListener("click", () => selectTab((b.parentElement as HTMLElement).dataset.group!, b.dataset.tab!)),
  );
  $("share").addEventListener("click", async () => {
    const url = location.href.split("#")[0] + (await encodeState(state()));
    history.replaceState(null, "", url);
    try {
      await navigator.clipboard.writeText(url);
      $("status").textContent = "share link copied";
    } catch {
      $("status").textContent = "share link: the address bar";
    }
  });
  await run();
}

void main();
