import { useEffect, useRef } from "preact/hooks";
import { ApiFailure } from "./api.ts";
import { BASE, type PageContext, type PublicContext, session } from "./context.ts";
import { navigate } from "./router.ts";
import { failureNotice } from "./ui/notice.ts";

/** A page still written as a DOM-building function (pages/*.ts), drawn into its own box. */
export type ClosurePage = (ctx: PageContext & PublicContext) => Promise<void> | void;

type Context = Omit<PageContext, "main" | "onLeave"> | Omit<PublicContext, "main" | "onLeave">;

/**
 * Hosts a closure page inside the Preact tree: it gets the box as `main`, its timers are
 * stopped when the box goes, and a failure is shown in the box. `ready` runs once it has drawn.
 */
export function ClosureHost(props: {
  page: ClosurePage;
  /** What the page reads besides `main` and `onLeave`. */
  ctx: Context;
  ready: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const main = box.current!;
    const leaving: (() => void)[] = [];
    let live = true;
    Promise.resolve()
      .then(() =>
        props.page({
          ...props.ctx,
          main,
          onLeave: (fn: () => void) => leaving.push(fn),
        } as unknown as PageContext & PublicContext),
      )
      .catch((error: unknown) => {
        if (!live) return;
        if (error instanceof ApiFailure && error.signedOut) {
          session.me = null;
          navigate(`${BASE}/sign-in`, true);
          return;
        }
        main.append(failureNotice(error));
      })
      .finally(() => live && props.ready());
    return () => {
      live = false;
      for (const fn of leaving) fn();
    };
  }, []);
  return <div class="page" ref={box} />;
}
