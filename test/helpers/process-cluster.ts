export { ProcessCluster, type NodeProcess, type ProcessClusterOptions } from "../../runtime/testing/process-cluster.js";
