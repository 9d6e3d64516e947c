// The gateway is not built yet (issue 6); `npm start` says so instead of failing.
console.log("shoal: the gateway is not available yet; the scheduling library is in lib/src.");
