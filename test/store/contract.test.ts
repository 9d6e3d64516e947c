import { join } from "node:path";
import t from "tap";
import { FileStore } from "../../src/store/file-store.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { Store } from "../../src/store/store.js";
import { tempDir } from "../helpers/temp-dir.js";
import { storeContract } from "./store-contract.js";

t.test("MemoryStore", async (t) => {
  storeContract(t, {
    async fresh(options) {
      const store = new MemoryStore(options);
      await store.open();
      return store;
    },
    async reopen(store) {
      await store.close();
      await store.open();
      return store;
    },
  });
});

t.test("FileStore", async (t) => {
  const made = new Map<Store, { path: string; now: (() => number) | undefined }>();
  storeContract(t, {
    async fresh(options = {}) {
      const path = join(tempDir("shoal-contract-"), "shoal.json");
      const store = new FileStore({ path, fsync: false, ...options });
      await store.open();
      made.set(store, { path, now: options.now });
      return store;
    },
    async reopen(store) {
      const { path, now } = made.get(store)!;
      await store.close();
      const again = new FileStore({ path, fsync: false, ...(now && { now }) });
      await again.open();
      made.set(again, { path, now });
      return again;
    },
  });
});
