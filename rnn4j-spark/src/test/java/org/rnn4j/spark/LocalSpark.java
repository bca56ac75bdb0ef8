package org.rnn4j.spark;

import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session for all tests of the module: starting Spark costs seconds. */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder().master("local[2]").appName("rnn4j-tests")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
          .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
          .config("spark.sql.adaptive.enabled", "false").getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
