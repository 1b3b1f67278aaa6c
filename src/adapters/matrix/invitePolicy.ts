import picomatch from "picomatch";

/**
 * Who may invite the bot. MATRIX_ALLOWED_USERS is a comma- or space-separated list of globs
 * (`@*:example.org, @ops-*:corp.example`). Without it, only users on the bot's own homeserver may
 * invite it: a bot on a federated server must not be pulled into any stranger's room.
 */
export function invitePolicy(allowed: string | undefined, botUserId: string) {
  const server = botUserId.slice(botUserId.indexOf(":") + 1);
  const globs = (allowed ?? "")
    .split(/[\s,]+/)
    .map((g) => g.trim())
    .filter((g) => g !== "");
  const patterns = globs.length > 0 ? globs : [`@*:${server}`];
  // Matrix ids are not paths: "*" must not stop at "/" or "." and case matters (ids are lowercase).
  const match = picomatch(patterns, { dot: true, nobrace: true, noextglob: true, bash: true });
  return {
    patterns,
    allows: (userId: string): boolean => userId !== botUserId && match(userId),
  };
}
