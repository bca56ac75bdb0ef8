/**
 * rnn4j on Apache Spark: {@link org.rnn4j.spark.Rnn4jSpark} scores DataFrames with a model broadcast
 * as bytes and loaded once per executor, makes it a SQL function, and trains classifiers data-parallel
 * on the shared training loop (each step's batch split across the partitions, or local SGD);
 * {@link org.rnn4j.spark.SparkJobs} runs the same for the command line. See docs/spark.md.
 *
 * <p>Not a named module: Spark's jars have none, so this one runs on the class path (its jar's
 * automatic name is {@code org.rnn4j.spark}). Only the two classes above are public.
 */
package org.rnn4j.spark;
