// Worker entry: registers tsx in this thread (workers do not inherit the loader), then runs the worker.
import { register } from "tsx/esm/api";

register();
await import("./prepare-worker.ts");
