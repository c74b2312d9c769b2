// Hello world: the per-request overhead of the runtime itself.
export default {
  fetch() {
    return new Response("Hello, world!");
  },
};
