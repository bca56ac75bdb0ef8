/** Keras import: {@link org.rnn4j.keras.KerasImport}. HDF5 is read with jHDF, in this module only. */
module org.rnn4j.keras {
  requires transitive org.rnn4j.tasks;
  requires io.jhdf;

  exports org.rnn4j.keras;
}
