/**
 * The {@code rnn4j} command line (picocli). Commands turn flags into the Java API's settings and
 * render its errors with flag names ({@code --valid-fraction} for {@code validFraction}); a user
 * error is one line and a non-zero exit, never a stack trace.
 */
package org.rnn4j.cli;
