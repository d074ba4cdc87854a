/**
 * The {@code hopdeq4j} command line: {@link org.hopdeq4j.cli.Main} dispatches to one class per
 * command; user errors print one line and exit with status 2.
 */
package org.hopdeq4j.cli;
