import { createHash } from "node:crypto";
import type { Services } from "../../context.ts";
import { DomainError } from "../../domain-error.ts";
import { type LimiterSpec, RateLimiterRes, retryAfterS } from "../../platform/rate-limiter.ts";

/** More than 10 failed sign-ins for one email in 15 minutes are refused. */
export const LOGIN_PER_EMAIL: LimiterSpec = {
  name: "login-email",
  points: 10,
  durationS: 15 * 60,
  blockDurationS: 15 * 60,
};

/** More than 100 failed sign-ins from one address in an hour are refused. */
export const LOGIN_PER_IP: LimiterSpec = {
  name: "login-ip",
  points: 100,
  durationS: 60 * 60,
  blockDurationS: 60 * 60,
};

/** Sign-ups (each an argon2 hash and a new organization) from one address per hour. */
export const SIGNUP_PER_IP: LimiterSpec = { name: "signup-ip", points: 20, durationS: 60 * 60 };

// Emails are hashed so that Redis never holds a list of the addresses people tried.
const emailKey = (email: string) => createHash("sha256").update(email.toLowerCase()).digest("hex");

function rateLimited(res: RateLimiterRes, message: string): DomainError {
  return new DomainError("RATE_LIMITED", message, { retryAfterS: retryAfterS(res) });
}

async function take(services: Services, spec: LimiterSpec, key: string, message: string) {
  try {
    await services.rateLimiters.get(spec).consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(error, message);
    throw error;
  }
}

const TOO_MANY_LOGINS = "Too many failed sign-ins; try again later.";

/**
 * Counts a sign-in attempt before the password is checked, so that parallel guesses cannot
 * slip past the limit; a success gives the points back (see {@link loginSucceeded}).
 * Throws RATE_LIMITED with Retry-After once the address or the email has no attempts left.
 */
export async function reserveLoginAttempt(services: Services, email: string, ip: string) {
  await take(services, LOGIN_PER_IP, ip, TOO_MANY_LOGINS);
  await take(services, LOGIN_PER_EMAIL, emailKey(email), TOO_MANY_LOGINS);
}

/** A successful sign-in clears the email's failures and does not count against the address. */
export async function loginSucceeded(services: Services, email: string, ip: string) {
  await Promise.all([
    services.rateLimiters.get(LOGIN_PER_EMAIL).delete(emailKey(email)),
    services.rateLimiters.get(LOGIN_PER_IP).reward(ip, 1),
  ]);
}

/** Counts a sign-up from this address; throws RATE_LIMITED past the hourly budget. */
export async function reserveSignup(services: Services, ip: string) {
  await take(services, SIGNUP_PER_IP, ip, "Too many sign-ups from this address; try again later.");
}

/**
 * Counts an invitation token tried on POST /api/invitations/accept against the address's
 * failed sign-in budget (LOGIN_PER_IP) before it is looked up, so that tokens cannot be guessed
 * at speed, even in parallel; an accepted invitation gives the point back.
 */
export async function reserveInvitationAttempt(services: Services, ip: string) {
  await take(
    services,
    LOGIN_PER_IP,
    ip,
    "Too many failed attempts from this address; try again later.",
  );
}

/** An accepted invitation does not count against the address. */
export async function invitationAccepted(services: Services, ip: string) {
  await services.rateLimiters.get(LOGIN_PER_IP).reward(ip, 1);
}
