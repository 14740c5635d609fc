/** Put in by scripts/build-playground.mjs: the example policies (file name → text) and a registries.d file for the JSON ones. */
declare module "imagetrust-examples" {
  const files: { policies: Record<string, string>; registriesD: string };
  export default files;
}
