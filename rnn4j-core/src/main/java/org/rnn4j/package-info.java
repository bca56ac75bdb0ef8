/**
 * rnn4j's version and runtime facts ({@link org.rnn4j.Rnn4j}) and the exception every module
 * throws for a setting out of range ({@link org.rnn4j.InvalidSettingException}), which names the
 * setting as the Java API does so that each front end can name it its own way.
 */
package org.rnn4j;
