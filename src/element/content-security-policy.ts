/**
 * The strictest Content-Security-Policy under which the <ecs-sim> element (dist/lib) runs when its
 * files are served from the page's own origin: scripts, the worker and the kernel fetch from 'self';
 * 'wasm-unsafe-eval' lets WebAssembly compile (it permits no JavaScript eval); styles are a
 * constructed stylesheet, which needs no 'unsafe-inline'. The browser tests serve every file with it.
 */
export const ELEMENT_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'";

/**
 * The same for the single-file build (ecs-sim.single.js): its worker starts from a blob: URL and
 * its kernel is inside it, so worker-src allows blob: and nothing is fetched.
 */
export const SINGLE_FILE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src blob:; style-src 'self'";
