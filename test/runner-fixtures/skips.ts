import t from "tap";
t.plan(0, "nothing to test here");
