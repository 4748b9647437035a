// An in-memory stand-in for the Origin Private File System, for the file bridge's tests in Node (not a test file):
// a handle locks its file until closed, positions are given with {at}, and a view of shared memory is refused, as
// browsers may refuse it.
const domError = (name, message) => Object.assign(new Error(message), { name });

export class FakeFile {
  bytes = new Uint8Array(0);
  locked = false;
}

/// A sync access handle: positions given with {at}, no view of a SharedArrayBuffer accepted.
export class FakeHandle {
  constructor(file) {
    this.file = file;
    file.locked = true;
  }
  #check(view) {
    if (!this.file) throw domError('InvalidStateError', 'the handle is closed');
    if (view && view.buffer instanceof SharedArrayBuffer) throw new TypeError('a view of shared memory');
  }
  read(view, { at }) {
    this.#check(view);
    const part = this.file.bytes.subarray(at, at + view.length);
    view.set(part);
    return part.length;
  }
  write(view, { at }) {
    this.#check(view);
    if (at + view.length > this.file.bytes.length) {
      const grown = new Uint8Array(at + view.length);
      grown.set(this.file.bytes);
      this.file.bytes = grown;
    }
    this.file.bytes.set(view, at);
    return view.length;
  }
  truncate(size) {
    this.#check();
    this.file.bytes = this.file.bytes.slice(0, size);
  }
  flush() {
    this.#check();
  }
  close() {
    if (this.file) this.file.locked = false;
    this.file = null;
  }
}

export class FakeDir {
  entries = new Map();
  async getDirectoryHandle(name, { create = false } = {}) {
    if (!this.entries.has(name)) {
      if (!create) throw domError('NotFoundError', `no folder ${name}`);
      this.entries.set(name, new FakeDir());
    }
    return this.entries.get(name);
  }
  async getFileHandle(name, { create = false } = {}) {
    if (!this.entries.has(name)) {
      if (!create) throw domError('NotFoundError', `no file ${name}`);
      this.entries.set(name, new FakeFile());
    }
    const file = this.entries.get(name);
    return {
      async createSyncAccessHandle() {
        if (file.locked) throw domError('NoModificationAllowedError', `${name} is locked`);
        return new FakeHandle(file);
      },
    };
  }
  async *keys() {
    yield* this.entries.keys();
  }
  locked() {
    return [...this.entries.values()].some((e) => (e instanceof FakeDir ? e.locked() : e.locked));
  }
  async removeEntry(name, { recursive = false } = {}) {
    const entry = this.entries.get(name);
    if (!entry) throw domError('NotFoundError', `no entry ${name}`);
    if (entry instanceof FakeDir && entry.entries.size && !recursive) throw domError('InvalidModificationError', 'not empty');
    if (entry instanceof FakeDir ? entry.locked() : entry.locked) throw domError('NoModificationAllowedError', `${name} is in use`);
    this.entries.delete(name);
  }
}

