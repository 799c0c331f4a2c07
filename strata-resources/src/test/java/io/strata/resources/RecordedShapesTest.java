package io.strata.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.SafeFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checked-in shapes read as their specs say; {@code -Dstrata.shapes.rewrite=true} rewrites the written ones. */
class RecordedShapesTest {
    static final Path SHAPES = Path.of("src/test/resources/shapes");

    static Stream<Arguments> writtenShapes() {
        return ShapeFixtures.WRITTEN.keySet().stream().sorted().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writtenShapes")
    void writtenShapeReadsAsItsSpec(String name) {
        Shape shape = ShapeFixtures.WRITTEN.get(name).get();
        Path root = SHAPES.resolve(name);
        if (Boolean.getBoolean("strata.shapes.rewrite")) {
            SafeFiles.deleteRecursively(root);
            shape.write(root);
        }
        assertThat(HardwareReader.read(root)).isEqualTo(shape.hardware());
    }

    @Test
    void recordedVmHasTwoCoresWithoutHyperthreads() {
        Hardware vm = HardwareReader.read(SHAPES.resolve(ShapeFixtures.VM_2CORE));
        assertThat(vm.cpus()).hasSize(2);
        assertThat(vm.physicalCores()).hasSize(2);
        assertThat(vm.memoryBytes()).isPositive();
        assertThat(vm.blockDevices()).noneMatch(BlockDevice::isFreeNvme);
        try (Stream<Path> files = Files.walk(SHAPES.resolve(ShapeFixtures.VM_2CORE))) {
            assertThat(files).noneMatch(Files::isSymbolicLink);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
