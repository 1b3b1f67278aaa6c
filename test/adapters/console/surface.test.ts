import { PassThrough } from "node:stream";
import { consoleSurface } from "../../../src/adapters/console/consoleSurface.ts";
import type { ChatSurface } from "../../../src/core/surface.ts";
import { type SurfaceFixture, surfaceContract } from "../surfaceContract.ts";

/** The terminal: what it printed for each post is what its one reader saw. */
surfaceContract("terminal", async (): Promise<SurfaceFixture> => {
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString("utf8");
  });
  const entered: string[] = [];
  const surface = consoleSurface({ output, enter: (room) => entered.push(room) });
  const shown = new Map<string, string>();
  const posts: string[] = [];
  const files: string[] = [];
  const marks = new Map<string, string[]>();
  /** what one call printed */
  const capture = async <T>(work: () => Promise<T>): Promise<[T, string]> => {
    const before = printed.length;
    const result = await work();
    await new Promise((resolve) => setImmediate(resolve));
    return [result, printed.slice(before)];
  };
  const recorded: ChatSurface = {
    ...surface,
    async post(room, message, options) {
      const [id, text] = await capture(() => surface.post(room, message, options));
      if (id) shown.set(id, text);
      posts.push(text);
      return id;
    },
    async edit(room, id, message) {
      const [, text] = await capture(() => surface.edit(room, id, message));
      shown.set(id, text);
    },
    async upload(room, file) {
      const [done, text] = await capture(() => surface.upload(room, file));
      files.push(text);
      return done;
    },
    async acknowledge(room, id, filed) {
      const [, text] = await capture(() => surface.acknowledge(room, id, filed));
      marks.set(id, [...(marks.get(id) ?? []), text]);
    },
    async postText(room, file) {
      const [done, text] = await capture(() => surface.postText(room, file));
      posts.push(text);
      return done;
    },
  };
  return {
    surface: recorded,
    room: "lobby",
    user: "you",
    textOf: (_room, id) => shown.get(id),
    texts: () => posts,
    files: () => files,
    // A terminal room is named by what the session printed last about it.
    name: (room) => {
      const id = room.replace(/^inc-/, "");
      const lines = printed.split("\n").filter((l) => l.includes(`INC-${id}`));
      return lines.at(-1);
    },
    invited: (room) => (entered.includes(room) ? ["you"] : []),
    marks: (_room, id) => marks.get(id) ?? [],
    // A terminal room is named by its incident: there is nothing to find by marker.
    findsRooms: false,
    close: async () => {},
  };
});
