import type { SecretLintRuleCreator, SecretLintRuleLocalizeMessages } from "@secretlint/types";

/** Whether a string matched by the token pattern carries a valid CRC-32 in its last 8 hex digits. */
export declare function hasValidChecksum(token: string): boolean;
/** The rule's messages. */
export declare const messages: SecretLintRuleLocalizeMessages;
/** The secretlint rule; load it with the id `@apf/auth/secretlint` in `.secretlintrc.json`. */
export declare const creator: SecretLintRuleCreator;
