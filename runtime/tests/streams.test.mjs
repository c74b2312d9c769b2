// The loaderd-internal side of streams.js and blob-formdata.js: `internal.streams` and
// `internal.formData`, which the C++ Request/Response integration calls and user code cannot
// reach (so conformance cases cannot cover them). Runs the builtins in a Node vm context.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBuiltinsWithInternal } from "../../tools/testing/builtins-vm.mjs";

const load = () => loadBuiltinsWithInternal();

const text = (u8) => Buffer.from(u8).toString("utf8");
// Values from the vm context, as plain data of this realm.
const plain = (v) => JSON.parse(JSON.stringify(v));

test("internal.streams: fromBytes, readAllBytes, tee, reader", async () => {
  const { global, internal } = load();
  const s = internal.streams;
  const bytes = new global.Uint8Array(200 * 1024).fill(7);
  const stream = s.fromBytes(bytes);
  assert.equal(s.isReadableStream(stream), true);
  assert.equal(s.isReadableStream({}), false);
  const [a, b] = s.tee(stream);
  assert.equal(s.isLocked(stream), true);
  const all = await s.readAllBytes(a);
  assert.equal(all.byteLength, bytes.byteLength);
  assert.equal(s.isDisturbed(a), true);
  const reader = s.reader(b);
  let seen = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value.byteLength;
  }
  assert.equal(seen, bytes.byteLength);
  reader.release();
  assert.equal(s.isLocked(b), false);
});

test("internal.streams.readAllBytes rejects non-byte chunks and stream errors", async () => {
  const { global, internal } = load();
  const notBytes = new global.ReadableStream({ start(c) { c.enqueue("text"); } });
  await assert.rejects(internal.streams.readAllBytes(notBytes),
    { message: "This ReadableStream did not return bytes." });
  const failing = new global.ReadableStream({ start(c) { c.error(new global.RangeError("x")); } });
  await assert.rejects(internal.streams.readAllBytes(failing), { message: "x" });
});

test("internal.streams.fromPull drives a byte stream from native code", async () => {
  const { global, internal } = load();
  let n = 0;
  const stream = internal.streams.fromPull((c) => {
    if (n === 3) c.close();
    else c.enqueue(new global.Uint8Array([65 + n++]));
  });
  assert.equal(await internal.streams.readAllText(stream), "ABC");
});

test("10 MB through a TransformStream in 64 KiB chunks is linear", async () => {
  const { global, internal } = load();
  const run = async (total) => {
    const chunk = new global.Uint8Array(64 * 1024);
    let produced = 0;
    const source = new global.ReadableStream({
      pull(c) {
        if (produced >= total) return c.close();
        produced += chunk.byteLength;
        c.enqueue(chunk);
      },
    });
    const start = performance.now();
    const out = await internal.streams.readAllBytes(source.pipeThrough(new global.TransformStream()));
    assert.equal(out.byteLength, total);
    return performance.now() - start;
  };
  await run(1024 * 1024);  // warm up
  const small = await run(2 * 1024 * 1024);
  const large = await run(10 * 1024 * 1024);
  // 5x the data may take at most ~5x the time (+ slack); quadratic would be ~25x.
  assert.ok(large < small * 12 + 50, `2 MB took ${small} ms, 10 MB took ${large} ms`);
});

test("internal.formData: multipart round trip and urlencoded parse", async () => {
  const { global, internal } = load();
  const fd = new global.FormData();
  fd.append("a\nb", "line1\nline2");
  fd.append("file", new global.Blob(["hi \u00e9"], { type: "text/plain" }), "n\"ame.txt");
  fd.append("empty", new global.Blob([]));
  const { contentType, bytes } = internal.formData.serialize(fd);
  const boundary = contentType.match(/^multipart\/form-data; boundary=(.+)$/)[1];
  const body = text(bytes);
  assert.ok(body.includes(`--${boundary}\r\nContent-Disposition: form-data; name="a%0D%0Ab"\r\n\r\n` +
    "line1\r\nline2\r\n"), body);
  assert.ok(body.includes('name="file"; filename="n%22ame.txt"\r\nContent-Type: text/plain\r\n\r\n'));
  assert.ok(body.includes('filename="empty"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n'));
  assert.ok(body.endsWith(`--${boundary}--\r\n`));

  const parsed = internal.formData.parse(bytes, contentType);
  const entries = [...parsed];
  assert.deepEqual(plain(entries.map(([k]) => k)), ["a%0D%0Ab", "file", "empty"]);
  assert.equal(entries[0][1], "line1\r\nline2");
  const file = parsed.get("file");
  assert.equal(file.name, "n%22ame.txt");
  assert.equal(file.type, "text/plain");
  assert.equal(await file.text(), "hi \u00e9");
  assert.equal(parsed.get("empty").size, 0);

  const url = internal.formData.parse(new global.Uint8Array(Buffer.from("a=1&b=x+y%21&&c&=e&%E2%82%AC=%ZZ")),
    "application/x-www-form-urlencoded;charset=utf-8");
  assert.deepEqual(plain([...url]), [["a", "1"], ["b", "x y!"], ["c", ""], ["", "e"], ["\u20ac", "%ZZ"]]);
});

test("internal.formData.parse rejects bad input with TypeErrors", () => {
  const { global, internal } = load();
  const body = new global.Uint8Array(Buffer.from("--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--"));
  assert.throws(() => internal.formData.parse(body, "multipart/form-data; boundary=B"),
    { name: "TypeError", message: "Failed to parse body as FormData." });
  assert.throws(() => internal.formData.parse(body, "multipart/form-data"), { name: "TypeError" });
  assert.throws(() => internal.formData.parse(body, "text/plain"), {
    message: "Unrecognized Content-Type header value. FormData can only parse the following " +
      "MIME types: multipart/form-data, application/x-www-form-urlencoded",
  });
  const quoted = internal.formData.parse(new global.Uint8Array(Buffer.from(
    "preamble\r\n--a;b\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n--a;b--\r\n")),
  'multipart/form-data; boundary="a;b"');
  assert.deepEqual(plain([...quoted]), [["k", "v"]]);
});
