import { describeClient } from "./client-behaviour.js";

describeClient(false);
