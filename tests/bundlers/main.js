// The app every bundler fixture builds (the test writes it with the import specifier of
// the case).
import { FluenceClient, connectInWorker } from "fluence-client";
import { installRun } from "./run.js";

installRun(FluenceClient, connectInWorker);
