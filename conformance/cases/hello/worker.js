export default {
  fetch(request, env, ctx) {
    return new Response("Hello, world!");
  },
};
