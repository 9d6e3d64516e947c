import { describeClient } from "./client-behaviour.js";

// Every behaviour of the Redfish client holds with its requests sent from the BMC I/O thread.
describeClient(true);
