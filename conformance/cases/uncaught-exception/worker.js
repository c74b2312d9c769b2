export default {
  async fetch(request) {
    if (request.url.endsWith("/sync")) throw new Error("sync failure");
    if (request.url.endsWith("/not-a-response")) return "just a string";
    await Promise.resolve();
    throw new TypeError("async failure");
  },
};
