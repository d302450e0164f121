import { lambdaTarget } from "./in-process.js";
import { describeRuntime } from "./suite.js";

describeRuntime(lambdaTarget);
