// ctx.waitUntil: work continues after the response; module state persists between requests.
let finished = 0;
export default {
  async fetch(request, env, ctx) {
    if (request.url.endsWith("/count")) {
      // Long enough for both earlier requests' 10 ms waitUntil work to finish.
      await new Promise((resolve) => setTimeout(resolve, 100));
      return new Response(String(finished));
    }
    ctx.waitUntil(new Promise((resolve) => setTimeout(() => { finished++; resolve(); }, 10)));
    ctx.waitUntil(Promise.resolve("not awaited by the response"));
    return new Response(`started, finished=${finished}`);
  },
};
