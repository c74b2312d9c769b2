// The smallest useful worker: answers every request, echoing what it was asked.
export default {
  async fetch(request, env, ctx) {
    if (request.url.endsWith("/json")) {
      return Response.json({ greeting: env.GREETING, method: request.method, url: request.url });
    }
    return new Response(`${env.GREETING} from loaderd\n`, {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  },
};
