// The smallest useful worker: answers every request, echoing what it was asked.
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/json") {
      return Response.json({ greeting: env.GREETING, method: request.method, path: url.pathname });
    }
    return new Response(`${env.GREETING} from loaderd\n`, {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  },
};
