import { ApiFailure } from "../api/failure.ts";

/** What to show when a page's data could not be loaded or an action failed. */
export function Failure({ error }: { error: unknown }) {
  if (error instanceof ApiFailure && error.notAvailable) {
    return (
      <div class="notice" role="status">
        <strong>Not available. </strong>This server does not offer this yet.
      </div>
    );
  }
  const message = error instanceof ApiFailure ? error.message : "Something went wrong.";
  const code = error instanceof ApiFailure ? ` (${error.code})` : "";
  return (
    <div class="notice error-box" role="alert">
      {message}
      {code}
    </div>
  );
}
