import { targets } from "./launch.js";
import { describeRuntime } from "./suite.js";

describeRuntime(targets.workerd);
