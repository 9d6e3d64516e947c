import t from "tap";
t.pass("before the throw");
throw new Error("thrown at the top of the file");
