export {
  INVITATION_TOKEN_PATTERN,
  INVITATION_TOKEN_PREFIX,
  isInvitationToken,
  mintInvitationToken,
} from "./invitation.ts";
export {
  checkPasswordPolicy,
  hashPassword,
  PASSWORD_HASH_OPTIONS,
  PASSWORD_MAX,
  PASSWORD_MIN,
  type PasswordPolicyViolation,
  passwordLength,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordAgainstNothing,
} from "./password.ts";
export { REDACTED, redactTokens } from "./redact.ts";
export {
  ALL_READ_SCOPES,
  describeScope,
  isScope,
  SCOPE_REGISTRY,
  SCOPES,
  type Scope,
  type ScopeDefinition,
  type ScopeRoute,
  scopeForRoute,
} from "./scopes.ts";
export {
  isSessionExpired,
  mintSessionToken,
  SESSION_IDLE_TTL_MS,
  SESSION_REFRESH_INTERVAL_MS,
  sessionExpiry,
  shouldRefreshSession,
} from "./session.ts";
export { codePoints } from "./text.ts";
export {
  hashToken,
  type MintedToken,
  mintToken,
  type ParsedToken,
  parseToken,
  TOKEN_BODY_LENGTH,
  TOKEN_KINDS,
  TOKEN_PATTERN,
  TOKEN_PATTERN_SOURCE,
  TOKEN_PREFIXES,
  type TokenKind,
  type TokenRejection,
  tokenPatternGlobal,
  tokenPreview,
} from "./token.ts";
