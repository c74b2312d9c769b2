// A 10 MB response body produced by a ReadableStream in 64 KiB chunks.
const CHUNK = new Uint8Array(65536).fill(120);
export default {
  fetch() {
    let sent = 0;
    return new Response(new ReadableStream({
      pull(controller) {
        if (sent >= 10 * 1024 * 1024) { controller.close(); return; }
        controller.enqueue(CHUNK);
        sent += CHUNK.length;
      },
    }));
  },
};
