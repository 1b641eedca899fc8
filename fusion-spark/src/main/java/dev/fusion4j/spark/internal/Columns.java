package dev.fusion4j.spark.internal;

import dev.fusion4j.api.InvalidInputException;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

/** The driver-side checks of the columns a stage or a training helper is told to read. */
public final class Columns {
    private Columns() {
    }

    /** The type of {@code column}, which must exist ({@code what} names it in the message, e.g. "textCol"). */
    public static DataType type(StructType schema, String column, String what) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new InvalidInputException("The " + what + " '" + column + "' is not a column of the data: it has "
                    + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(column).dataType();
    }

    /** Refuses a missing or non-string text {@code column}. */
    public static void requireString(StructType schema, String column, String what) {
        DataType type = type(schema, column, what);
        if (!(type instanceof StringType)) {
            throw new InvalidInputException("The text column '" + column + "' is " + type.simpleString()
                    + ": it must be a string column");
        }
    }
}
