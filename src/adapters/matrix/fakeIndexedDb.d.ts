/** fake-indexeddb's side-effect entry point (installs the IndexedDB globals); it ships no types. */
declare module "fake-indexeddb/auto";
