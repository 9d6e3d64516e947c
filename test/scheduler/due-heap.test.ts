import t from "tap";
import { DueHeap } from "../../src/scheduler/due-heap.js";

t.test("pops keys in due order, ties in insertion order", async (t) => {
  const heap = new DueHeap<string>();
  heap.set("c", 30);
  heap.set("a", 10);
  heap.set("b", 10);
  heap.set("d", 5);
  t.same([heap.pop()?.key, heap.pop()?.key, heap.pop()?.key, heap.pop()?.key], ["d", "a", "b", "c"]);
  t.equal(heap.pop(), undefined);
});

t.test("re-scheduling a key moves it instead of leaving a stale entry", async (t) => {
  const heap = new DueHeap<string>();
  heap.set("a", 10);
  heap.set("b", 20);
  heap.set("a", 30);
  t.equal(heap.size, 2);
  t.equal(heap.peek()?.key, "b");
  heap.set("a", 1);
  t.equal(heap.peek()?.key, "a");
  t.equal(heap.dueOf("a"), 1);
});

t.test("matches a sorted list under random inserts, moves and deletes", async (t) => {
  const heap = new DueHeap<number>();
  const model = new Map<number, number>();
  let seed = 42;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  for (let i = 0; i < 5000; i++) {
    const key = rand(500);
    const op = rand(3);
    if (op < 2) {
      const due = rand(10_000);
      heap.set(key, due);
      model.set(key, due);
    } else {
      t.equal(heap.delete(key), model.delete(key));
    }
  }
  const popped: number[] = [];
  for (let e = heap.pop(); e; e = heap.pop()) {
    t.equal(e.due, model.get(e.key));
    popped.push(e.due);
  }
  t.equal(popped.length, model.size);
  t.same(popped, [...popped].sort((a, b) => a - b));
});
