/** Go's `url.URL.Redacted()` (containers/image messages) and net/http's `stripPassword` (Go client errors). */
import { describe, expect, it } from "vitest";
import { goHttpClientUrl, redactUrl, redactUrlsIn } from "../../src/registries/redact-url.js";

describe("redactUrl", () => {
  it.each([
    ["http://alice:pw@example.com/sigs", "http://alice:xxxxx@example.com/sigs"],
    ["https://alice:@example.com/x", "https://alice:xxxxx@example.com/x"], // an empty password is still a password
    ["https://alice@example.com/x", "https://alice@example.com/x"], // no password: unchanged
    ["https://a:p%40ss@example.com:8443/x?q=1#f", "https://a:xxxxx@example.com:8443/x?q=1#f"],
    ["https://a:p@ss@example.com/x", "https://a:xxxxx@example.com/x"], // userinfo ends at the last '@'
    ["file:///var/lib/containers/sigstore", "file:///var/lib/containers/sigstore"],
    ["http://example.com/@sha256=abc/signature-1", "http://example.com/@sha256=abc/signature-1"],
  ])("%s → %s", (url, want) => {
    expect(redactUrl(url)).toBe(want);
  });
  it("redacts URLs inside messages, and as Go's HTTP client names them", () => {
    expect(redactUrlsIn('parse "http://alice:pw@[::1": missing \']\' in host')).toBe('parse "http://alice:xxxxx@[::1": missing \']\' in host');
    expect(redactUrlsIn("no url here, a@b")).toBe("no url here, a@b");
    expect(goHttpClientUrl("http://alice:pw@example.com/x")).toBe("http://alice:***@example.com/x");
    expect(goHttpClientUrl("http://example.com/x")).toBe("http://example.com/x");
  });
});
