import type { WebClient } from "./slackApi.ts";

/** Who the bot is in its workspace, from auth.test: to skip its own messages and other teams. */
export interface Self {
  teamId: string;
  userId: string;
}

export async function whoAmI(client: WebClient): Promise<Self> {
  const res = await client.auth.test();
  if (!res.team_id || !res.user_id)
    throw new Error("auth.test did not say which team and user the bot is");
  return { teamId: res.team_id, userId: res.user_id };
}
