// Prints, exits 0, and never says a word of TAP: proves nothing.
console.log("hello");
