export { startSecureNats, makeTestCerts, type SecureNats, type TestCerts } from "../../runtime/testing/secure-nats.js";
