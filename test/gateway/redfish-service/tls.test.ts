import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { Agent, request } from "undici";
import { startGateway } from "../helpers/http.js";
import { tempDir } from "../../helpers/temp-dir.js";

/** A self-signed certificate for 127.0.0.1, made with openssl (as the BMC client's TLS test does). */
function certificateFiles(): { certFile: string; keyFile: string } {
  const dir = tempDir("shoal-gw-tls-");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
  ], { stdio: "ignore" });
  return { certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem") };
}

t.test("with TLS_CERT_FILE and TLS_KEY_FILE the gateway serves HTTPS (DSP0266 wants Basic only over TLS)", async (t) => {
  const tls = certificateFiles();
  const g = await startGateway({ config: { tls } });
  t.teardown(() => g.close());
  t.match(g.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const dispatcher = new Agent({ connect: { ca: readFileSync(tls.certFile) } });
  t.teardown(() => dispatcher.close());
  const reply = await request(`${g.url}/redfish/v1/`, { dispatcher });
  t.equal(reply.statusCode, 200);
  t.match(await reply.body.json(), { "@odata.id": "/redfish/v1" });
});
