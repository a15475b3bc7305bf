// A client component that imports the package as an app would (a static import).
// run.js is copied here from tests/bundlers by the test.
"use client";
import { useEffect } from "react";
import { FluenceClient, connectInWorker } from "fluence-client";
import { installRun } from "./run.js";

export default function Page() {
  useEffect(() => installRun(FluenceClient, connectInWorker), []);
  return <p>fluence-client in Next.js</p>;
}
