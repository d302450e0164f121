import { netlifyTarget } from "./in-process.js";
import { describeRuntime } from "./suite.js";

describeRuntime(netlifyTarget);
