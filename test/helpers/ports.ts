export { freePort } from "../../runtime/testing/ports.js";
