// node:path (POSIX): join, resolve, normalize, dirname, basename, extname, relative, parse,
// format, isAbsolute, and the string-argument errors.
import path, { posix } from "node:path";

const attempt = (f) => { try { return ["ok", f()]; } catch (e) { return [e.name, e.code ?? null, e.message]; } };

export default {
  async fetch() {
    return Response.json({
      join: [path.join("/a", "b", "../c", "./d"), path.join("a", "", "b/"), path.join(), path.join(""), path.join("/", ".."), path.join("a/../..", "b")],
      resolve: [path.resolve("/a/b", "./c"), path.resolve("/a", "/b", "c"), path.resolve("/a/b/../../.."), path.resolve("/x/", "y/", "../z/")],
      normalize: [path.normalize("/a//b/../c/./d/"), path.normalize("a/../../b"), path.normalize(""), path.normalize("./"), path.normalize("//a"), path.normalize("/..")],
      dirname: [path.dirname("/a/b/c"), path.dirname("/a/b/c/"), path.dirname("a"), path.dirname("/"), path.dirname(""), path.dirname("//a"), path.dirname("a/b")],
      basename: [path.basename("/a/b.txt"), path.basename("/a/b.txt", ".txt"), path.basename("/a/b/"), path.basename("b.txt", "b.txt"), path.basename(""), path.basename("/a/b.txt", "txt")],
      extname: [path.extname("a.txt"), path.extname("a.b.c"), path.extname(".bashrc"), path.extname("a."), path.extname("a"), path.extname("/a.d/b"), path.extname("..")],
      relative: [path.relative("/a/b/c", "/a/d"), path.relative("/a", "/a/b/c"), path.relative("/a/b", "/a/b"), path.relative("/", "/x"), path.relative("/x/y", "/")],
      absolute: [path.isAbsolute("/a"), path.isAbsolute("a"), path.isAbsolute("")],
      parse: [path.parse("/home/user/file.txt"), path.parse("file"), path.parse("/"), path.parse("./a.b/c.d.e"), path.parse("")],
      format: [path.format({ dir: "/home", base: "f.txt" }), path.format({ root: "/", name: "f", ext: ".txt" }), path.format({ name: "f", ext: "txt" }),
               path.format({ root: "/", dir: "/x", base: "y" })],
      constants: [path.sep, path.delimiter, path.posix === posix, posix.posix === posix, path.toNamespacedPath("/a")],
      errors: [attempt(() => path.join("a", 1)), attempt(() => path.basename(null)), attempt(() => path.dirname({}))],
    });
  },
};
