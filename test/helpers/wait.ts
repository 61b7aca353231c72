export { waitUntil } from "../../runtime/testing/wait.js";
