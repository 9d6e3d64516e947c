// The scheduler runtime lands here (issue 4).
export {};
