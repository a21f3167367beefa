import { render } from "preact";
import { SIGNED_OUT_EVENT } from "./api/failure.ts";
import { App } from "./app.tsx";
import { BASE, session } from "./context.ts";
import { navigate, startRouter } from "./router.ts";

startRouter();
window.addEventListener(SIGNED_OUT_EVENT, () => {
  if (!session.me) return;
  session.me = null;
  navigate(`${BASE}/sign-in?next=${encodeURIComponent(location.pathname)}`, true);
});
render(<App />, document.getElementById("app")!);
