/**
 * The benchmon Jupyter kernel: Java evaluated by JShell in the kernel's own JVM, with the toolkit
 * on the class path, Jupyter messaging from {@code io.github.spencerpark:jupyter-jvm-basekernel}
 * (the library IJava is built on). Tables display as HTML, Tablesaw/Plotly figures as charts that
 * draw offline; {@code %classpath}, {@code %jars} and {@code %maven} work as in IJava.
 * {@link dev.benchmon.kernel.KernelSpec} writes the kernelspec Jupyter uses to start it.
 */
package dev.benchmon.kernel;
