/** Configuration file locations as containers/image chooses them (spec §5.1; sysregistriesv2 configWrapper). */
import { describe, expect, it } from "vitest";
import { registriesConfPaths, registriesDirPath } from "../../src/registries/paths.js";

const none = () => false;

describe("registriesConfPaths", () => {
  it("defaults: system file, system then user drop-ins; the user dir is named in messages", () => {
    expect(registriesConfPaths({ home: "/home/a", exists: none })).toEqual({
      confPath: "/etc/containers/registries.conf",
      confDirs: ["/etc/containers/registries.conf.d", "/home/a/.config/containers/registries.conf.d"],
      explicit: false,
      messageDir: "/home/a/.config/containers/registries.conf.d",
    });
  });
  it("--registries-conf does not isolate from the drop-in directories", () => {
    const p = registriesConfPaths({ home: "/root", exists: none, systemRegistriesConfPath: "/t/r.conf" });
    expect(p.explicit).toBe(true);
    expect(p.confDirs).toEqual(["/etc/containers/registries.conf.d", "/root/.config/containers/registries.conf.d"]);
  });
  it("a user registries.conf shadows the system file and system drop-ins", () => {
    const p = registriesConfPaths({ home: "/home/a", exists: (f) => f === "/home/a/.config/containers/registries.conf" });
    expect(p).toMatchObject({ confPath: "/home/a/.config/containers/registries.conf", confDirs: ["/home/a/.config/containers/registries.conf.d"] });
  });
  it("an explicit drop-in directory is the only one", () => {
    expect(registriesConfPaths({ home: "/h", exists: none, systemRegistriesConfDirPath: "/d" }).confDirs).toEqual(["/d"]);
  });
});

describe("registriesDirPath", () => {
  it("flag, then the user directory if it exists, then the system one", () => {
    expect(registriesDirPath({ home: "/h", exists: none, registriesDirPath: "/x" })).toBe("/x");
    expect(registriesDirPath({ home: "/h", exists: () => true })).toBe("/h/.config/containers/registries.d");
    expect(registriesDirPath({ home: "/h", exists: none })).toBe("/etc/containers/registries.d");
    expect(registriesDirPath({ home: "/h", exists: none, rootForImplicitAbsolutePaths: "/r" })).toBe("/r/etc/containers/registries.d");
  });
});
