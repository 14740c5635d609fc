/**
 * Test set-up: load the Node host adapter first, as the CLI does, so that what it registers for the core (the
 * Chevrotain bundle loader) is in place before any test imports the syntax modules.
 */
import "../../src/host/node-host.js";
