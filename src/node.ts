/**
 * imagetrust on Node ("imagetrust/node"): the Node implementation of the Host seam, for library users who call
 * e.g. `validateInputs(paths, { host: nodeHost() })`. Kept out of the main entry point so the library itself never
 * defaults to Node.
 */
export { nodeHost, nodeHttp, type NodeHostOptions } from "./host/node-host.js";
